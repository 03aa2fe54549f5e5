"""The CCTV analytics engine: capture, motion gate, detector, tracker, zones, rules, events.

No Django in here: the worker runs it on a camera-side box, and ``vigil video analyze`` on a
recorded file.
"""
