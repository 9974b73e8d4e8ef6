"""Files: atomic writes, hashing and path confinement -- the floor every layer stands on.

Nothing here knows about rare earths or pandas (pandas is imported only inside the
functions that write frames), so the build can decide what is up to date without
importing the data stack.
"""
