"""Detection: analyses of the audit trail that point to collusion, brokers, bots and fake bookings.

``audit.detection.scenario`` writes records-v1 data with a known ground truth (planted abuse and
legitimate patterns that merely look unusual), so that every detector can be measured on data
whose answers are known.
"""
