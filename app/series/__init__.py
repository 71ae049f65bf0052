"""Event series and their action register: every action agreed at any forum of a series, with
its status and the dated updates its owner and contributors send between the forums."""
