"""The office pages under /office/ (namespace "office"): the board and its counter buttons, capacity,
walk-ins, backlog."""

from django.urls import path

from .pages import office, office_capacity, office_counter, office_walk_in

urlpatterns = [
    path("", office.office_pick, name="pick"),
    path("<str:code>/", office.board, name="board"),
    path("<str:code>/queue/", office.queue, name="queue"),
    path("<str:code>/queue/step/", office_counter.counter_step, name="counter-step"),
    path("<str:code>/queue/override/", office_counter.counter_override, name="counter-override"),
    path("<str:code>/capacity/", office_capacity.capacity, name="capacity"),
    path("<str:code>/capacity/change/", office_capacity.capacity_change_page, name="capacity-change"),
    path("<str:code>/capacity/close/", office_capacity.day_close_page, name="day-close"),
    path("<str:code>/capacity/reopen/", office_capacity.day_reopen_page, name="day-reopen"),
    path("<str:code>/walk-ins/", office_walk_in.walk_in, name="walk-in"),
    path("<str:code>/backlog/", office.backlog, name="backlog"),
]
