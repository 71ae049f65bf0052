"""The Alembic migrations, shipped inside the package as ``pinnwand.migrations``."""
