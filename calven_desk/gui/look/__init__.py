"""How the window looks to every eye and is reached by keyboard: the themes (System, Light, Dark),
text contrast (WCAG 2.2 AA), the focus ring that shows where the keyboard is, access letters.

Imports nothing else of gui, so the table, the Timeline, the dialogs and the window all build on it.
    contrast.py   relative luminance and contrast ratios, and a colour nudged until it reads
    palettes.py   the Light and Dark palettes, every text on its background at least 4.5:1
    focus.py      the 2 px focus ring in the palette's highlight colour around the focused control
    theme.py      View > Theme: System, Light or Dark, applied to the whole application
    access_keys.py  access letters (Alt+letter) that no two items of a menu or dialog share
"""
