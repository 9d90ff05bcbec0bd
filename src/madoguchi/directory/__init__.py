"""The directory of windows: model, loading, queries, hours and checks."""

from .load import DataError, Directory, load_directory
from .model import CATEGORY_IDS, Audience, Category, Group, Window, WindowKind
from .query import InputError, find_windows, get_window, window_detail, window_summary

__all__ = [
    "CATEGORY_IDS",
    "Audience",
    "Category",
    "DataError",
    "Directory",
    "Group",
    "InputError",
    "Window",
    "WindowKind",
    "find_windows",
    "get_window",
    "load_directory",
    "window_detail",
    "window_summary",
]
