"""NN Lab's engine: model builders, one trainer for every lab, metrics and persistence.

Pure PyTorch and scikit-learn: nothing here imports streamlit, so all of it
runs headless and from the command line (`python -m models.train`).
"""
