"""What the application needs around its window: Qt's system libraries, crash reports, shipped files.

Imports nothing else of gui, so it works before the window can be built (a missing library is a
sentence, not a crash); the first-paint probe for the start-up benchmark lives here too.
"""
