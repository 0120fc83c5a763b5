"""The pages of competitions, one module per subject (events, marking, review, draws, excel); pages.py holds what
they share. competitions/urls.py routes to them."""
