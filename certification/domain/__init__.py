"""The pure rules of certification (DESIGN.md "Certification"): plain data in, plain data out, no ORM, no I/O.
Other apps' pure modules may import these (competitions' promotion reads the ladder); certification never imports
competitions."""
