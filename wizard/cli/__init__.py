"""The command line: parse arguments, call the layers below, print, return an exit code.
"""
