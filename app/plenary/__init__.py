"""The plenary board: the best of every workshop on one screen, with an optional shared vote."""
