"""The glossary page: every course term in both languages, its meaning and the labs that show it."""
