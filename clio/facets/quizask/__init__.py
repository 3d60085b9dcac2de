"""Quizzing vs asking: named form cues, plus a MiniLM form model trained only on examples this project writes."""
