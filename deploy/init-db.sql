-- Run once by the postgres image on a fresh volume: the two roles of
-- README "PostgreSQL" (change the passwords, here and in compose.yaml).
CREATE ROLE scry_owner LOGIN PASSWORD 'owner-password-change-me';
CREATE ROLE scry_app LOGIN PASSWORD 'app-password-change-me' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE scry OWNER scry_owner;
