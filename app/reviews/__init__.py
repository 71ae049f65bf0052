"""Review at the next forum: verdicts on the open actions of a series' earlier forums."""
