import json

import pytest

from beatnet_training.config import TrainConfig, parse


def test_defaults_are_the_shipped_recipe():
    cfg, opts = parse([])
    assert cfg == TrainConfig()
    assert (cfg.epochs, cfg.folds, cfg.fractions, cfg.final) == (30, (0, 1, 2, 3, 4), (0.1, 0.3), True)
    assert (cfg.multilead, cfg.lead_aug, cfg.rr_mode, cfg.class_weight, cfg.seed) == (0.5, 0.5, "relative", "sqrt", 2017)
    assert opts.name is None and not opts.overwrite


def test_empty_lists_and_the_old_tag_option():
    cfg, opts = parse(["--folds", "", "--fractions", "", "--final", "0", "--tag", "x", "--limit-records", "200"])
    assert cfg.folds == () and cfg.fractions == () and cfg.final is False and cfg.limit_records == 200
    assert opts.name == "x" and not cfg.exports_model
    assert parse(["--folds", "0", "--final", "0", "--final-from-fold0"])[0].exports_model


def test_config_is_frozen_and_json():
    cfg = parse(["--folds", "1,2"])[0]
    assert json.loads(json.dumps(cfg.as_dict()))["folds"] == [1, 2]
    with pytest.raises(Exception):
        cfg.epochs = 3


@pytest.mark.parametrize("argv", [["--folds", "5"], ["--fractions", "1.5"], ["--limit-records", "-1"]])
def test_bad_options_are_refused(argv):
    with pytest.raises(SystemExit):
        parse(argv)
