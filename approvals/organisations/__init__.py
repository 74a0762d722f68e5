"""Departments, enterprises, users and their roles."""
