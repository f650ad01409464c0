"""Running NN Lab for a classroom: several server processes behind HAProxy (deploy/classroom.py)."""
