"""Owns a user's file: reading it within budgets (reader, in a sandbox child), joining it to
counties (join), its numeric columns classified (classify), text columns (text_columns), and
from upload to colours (userdata).
May import: fjchains.core, fjchains.geo, fjchains.data.
"""
