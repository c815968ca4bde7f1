"""Reminders: when they fall due (`due`), what they say, and the three ways they are sent
(`push`, `mail`, `calendar`), run by the worker (`tasks`) after the scheduler (`scheduler`)
has claimed each occurrence once.
"""
