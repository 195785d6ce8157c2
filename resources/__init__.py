"""Files shipped with the app (sample roster, sandbox users, icon); installed as calven_desk.resources."""
