"""Concrete actions a workshop agrees, with an owner and the contributors who signed up."""
