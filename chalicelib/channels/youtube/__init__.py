"""YouTube: WebSub upload pushes and commentThreads polling."""
