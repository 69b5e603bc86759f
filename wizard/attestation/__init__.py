"""The attestation: its model, how it is built from a verdict (with each warning's condition: an owner
and a due date), its bytes on disk and the names of its signature files. Below trust: it says what a
review recorded, not whether to believe it.
"""
