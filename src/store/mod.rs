//! Storage: SQLite and PostgreSQL behind one interface (issue 4).
