"""Argon2 with test-sized costs: the same algorithm and encoded form, a fraction of the memory and time."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
