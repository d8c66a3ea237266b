"""BEAT-Net training (docs/model.md, docs/model-training.md): featurisation, model, training runs into
`training/runs/NAME/`, and the explicit `ship` step that copies a run's weights into the Swift resources."""
