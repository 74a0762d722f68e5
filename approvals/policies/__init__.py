"""Policies (政策条款) as data: who reviews them, how much they pay, what evidence they need."""
