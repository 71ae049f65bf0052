"""Events: their agenda, join code, moderators and participants."""
