"""Owns what every layer shares: paths, budgets (limits), errors, interface text (i18n),
safe display of user text (textsafe), number parsing and formatting (numbers), layout sizes.
May import: nothing of fjchains.
"""
