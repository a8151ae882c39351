"""Named query functions per dashboard domain (indicators, budget, meetings, ...), shared by pages, slides and CLI."""
