"""The applicants' pages under /apply/ (namespace "applicant"): register, sign in, book, see, cancel."""

from django.urls import path

from .pages import applicant

urlpatterns = [
    path("", applicant.start, name="start"),
    path("register/", applicant.register, name="register"),
    path("sign-in/", applicant.sign_in, name="sign-in"),
    path("book/", applicant.book, name="book"),
    path("book/submit/", applicant.book_submit, name="book-submit"),
    path("bookings/", applicant.bookings, name="bookings"),
    path("bookings/<str:code>/", applicant.booking_detail, name="booking"),
    path("bookings/<str:code>/cancel/", applicant.booking_cancel_page, name="booking-cancel"),
]
