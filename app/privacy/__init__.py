"""Data protection: participants' contact addresses with consent, automatic deletion of
personal data after an event, and deleting an event with everything in it."""
