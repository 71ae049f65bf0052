"""The JSON API under ``/api/v1``: one blueprint, filled by each domain's ``views`` module."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")
