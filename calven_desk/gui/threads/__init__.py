"""Work off the GUI thread: worker threads, the one lane background Python takes turns in, background jobs.

May import only what is below gui (roster, calven, store); every other folder of gui may import it.
"""
