"""The Qt window: everything here is glue over roster, calven and store."""
