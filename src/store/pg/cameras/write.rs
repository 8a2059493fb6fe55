//! Camera writes on PostgreSQL (register, edit, delete).
