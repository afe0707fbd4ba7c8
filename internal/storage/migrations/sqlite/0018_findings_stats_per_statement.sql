-- PostgreSQL only (its findings statistics trigger became per statement); SQLite's triggers are per row by nature.
SELECT 1;
