"""The detectors, one module each. ``audit.detection.registry`` lists them in running order."""
