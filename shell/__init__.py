"""The page shell: the menu and the home page's "waiting for you" list assembled from every app by permission
(navigation.py), the home page, the context processors every page renders with, the admin gate, and the pages
domain errors turn into. It sits above accounts (it asks the permission engine) and below every app that
registers menu entries or home-page items with it; so the shell registers accounts' entries itself (home.py)."""
