"""Short messages the moderator broadcasts to one workshop or to all ("5 minutes left")."""
