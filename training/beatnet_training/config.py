"""The training recipe as one value (`TrainConfig`), built from the command line; the defaults are the
shipped recipe (docs/model-training.md)."""
import argparse
import dataclasses
from dataclasses import dataclass

from .features import DEFAULT_RR_MODE, RR_MODES


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 30
    folds: tuple = (0, 1, 2, 3, 4)      # which of the 5 CV folds to run
    fractions: tuple = (0.1, 0.3)       # data-efficiency fractions on fold 0
    final: bool = True                  # train the final model on all records and export it
    final_from_fold0: bool = False      # export fold 0's model instead (quick)
    crops: int = 2                      # random crops per record per epoch
    lr: float = 4e-3                    # peak learning rate (one-cycle)
    class_weight: str = "sqrt"          # loss weights n/(4 n_class) ("inverse") or their square root
    lead_aug: float = 0.5               # P(random lead ids 0...12) per training window
    multilead: float = 0.5              # P(a second, nstdb-noised lead) per training window
    many_leads: float = 0.2             # P(a batch widened to 3...12 slots of derived leads)
    rr_mode: str = DEFAULT_RR_MODE      # RR featurisation (the Swift contract: relative)
    threads: int = 1                    # torch intra-op threads
    seed: int = 2017                    # python/numpy/torch; fold k: seed + k; final model: seed + 100
    split_seed: int = 2017              # the CV folds and record subsets: fixed, so that runs of other seeds keep the folds
    batch: int = 64
    limit_records: int = 0              # > 0: a stratified subset of that many cinc2017 records (smoke tests)
    cv_folds: int = 5                   # folds of the split (which of them run: `folds`)
    labelled_windows: int = 4000        # beat-labelled crops (mitdb DS1, svdb, cpsc2021) per epoch; 0 = cinc2017 only
    beat_loss: float = 1.0              # weight of the per-beat EC57 class loss
    af_loss: float = 0.5                # weight of the per-beat AF loss
    morphology_aug: float = 0.5         # P(shift/noise/amplitude augmentation) per training window
    beat_weight_power: float = 0.25     # beat-class loss weights: inverse frequency to this power
    pretrain_epochs: int = 0            # > 0: the data-efficiency check also fine-tunes from masked-beat pretraining
    teachers: tuple = ()                # weights files whose mean outputs the model also learns (distillation)
    distill: float = 1.0                # weight of the teachers' soft targets (with `teachers`)
    distill_heads: tuple = ("window", "beat", "af")   # which outputs learn the teachers' soft targets
    init: str = ""                      # weights file to start from (fine-tuning) instead of a random model
    anchor: str = ""                    # weights file whose per-beat outputs the model keeps (fine-tuning)
    anchor_weight: float = 1.0          # weight of the anchor's per-beat soft targets
    anchor_heads: tuple = ("beat", "af")   # which outputs learn the anchor's soft targets
    trainable: tuple = ()               # parameter-name prefixes that train (fine-tuning); () = all

    def as_dict(self):
        return {f.name: list(v) if isinstance(v, tuple) else v
                for f, v in ((f, getattr(self, f.name)) for f in dataclasses.fields(self))}

    @property
    def exports_model(self):
        return self.final or (self.final_from_fold0 and 0 in self.folds)


def _ints(text):
    return tuple(int(k) for k in text.split(",") if k.strip() != "")


def _paths(text):
    return tuple(k.strip() for k in text.split(",") if k.strip() != "")


def _floats(text):
    return tuple(float(k) for k in text.split(",") if k.strip() != "")


DISTILL_HEADS = ("window", "beat", "af")


def _heads(text):
    heads = tuple(k.strip() for k in text.split(",") if k.strip() != "")
    bad = [k for k in heads if k not in DISTILL_HEADS]
    if bad or not heads:
        raise argparse.ArgumentTypeError(f"{text!r}: heads are one or more of {', '.join(DISTILL_HEADS)}")
    return heads


def parser():
    d = TrainConfig()
    ap = argparse.ArgumentParser(prog="beatnet-train", description=(
        "Train BEAT-Net on cinc2017 beat tokens: token export (cached), cross-validation, data-efficiency "
        "check, final model, weights and golden vectors, all into training/runs/NAME/. "
        "Nothing is written into Sources/ or Fixtures/: that is `beatnet-ship NAME`."))
    ap.add_argument("--name", "--tag", dest="name", default=None,
                    help="run folder training/runs/NAME (default: a timestamp)")
    ap.add_argument("--runs-dir", default=None, help="where run folders go (default training/runs)")
    ap.add_argument("--overwrite", action="store_true", help="reuse an existing run folder of that name")
    ap.add_argument("--epochs", type=int, default=d.epochs)
    ap.add_argument("--folds", type=_ints, default=d.folds, help="which of the 5 CV folds to run ('' = none)")
    ap.add_argument("--crops", type=int, default=d.crops, help="random crops per record per epoch")
    ap.add_argument("--fractions", type=_floats, default=d.fractions,
                    help="data-efficiency fractions on fold 0 (100%% = the fold itself; '' = none)")
    ap.add_argument("--final", type=int, choices=[0, 1], default=int(d.final),
                    help="train the final model on all records and export it")
    ap.add_argument("--final-from-fold0", action="store_true", help="export fold 0's model instead (quick)")
    ap.add_argument("--lr", type=float, default=d.lr, help="peak learning rate (one-cycle)")
    ap.add_argument("--class-weight", default=d.class_weight, choices=["inverse", "sqrt"],
                    help="loss weights n/(4 n_class), or their square root")
    ap.add_argument("--lead-aug", type=float, default=d.lead_aug,
                    help="probability per training window of random lead ids 0...12 (0 = off, the old recipe)")
    ap.add_argument("--many-leads", type=float, default=d.many_leads,
                    help="P(a batch widened to 3...12 lead slots of leads derived from the recorded ones)")
    ap.add_argument("--multilead", type=float, default=d.multilead,
                    help="probability per training window of a second lead: the same one with nstdb noise")
    ap.add_argument("--rr", dest="rr_mode", default=d.rr_mode, choices=list(RR_MODES),
                    help="RR featurisation (changes the Swift contract: RhythmFeatures.swift)")
    ap.add_argument("--threads", type=int, default=d.threads, help="1 is faster than 2 on a busy 2-core machine")
    ap.add_argument("--seed", type=int, default=d.seed,
                    help="python/numpy/torch seed: fold k uses seed + k, the final model seed + 100 "
                         "(the folds stay those of --split-seed)")
    ap.add_argument("--split-seed", type=int, default=d.split_seed, help="seed of the CV folds (2017: every run's folds)")
    ap.add_argument("--limit-records", type=int, default=d.limit_records,
                    help="use a stratified subset of N cinc2017 records (smoke tests; 0 = all)")
    ap.add_argument("--labelled-windows", type=int, default=d.labelled_windows,
                    help="beat-labelled crops per epoch (mitdb DS1, svdb 800, cpsc2021); 0 = cinc2017 only")
    ap.add_argument("--beat-loss", type=float, default=d.beat_loss, help="weight of the per-beat class loss")
    ap.add_argument("--af-loss", type=float, default=d.af_loss, help="weight of the per-beat AF loss")
    ap.add_argument("--morphology-aug", type=float, default=d.morphology_aug,
                    help="probability per window of morphology augmentation (shift, noise, amplitude; 0 = off)")
    ap.add_argument("--beat-weight-power", type=float, default=d.beat_weight_power,
                    help="beat-class loss weights: inverse class frequency to this power (0.5 = square root)")
    ap.add_argument("--pretrain-epochs", type=int, default=d.pretrain_epochs,
                    help="masked-beat pretraining epochs for the data-efficiency check (0 = none)")
    ap.add_argument("--teachers", type=_paths, default=d.teachers,
                    help="comma-separated weights files: an ensemble distilled into the model (its mean window, "
                         "beat-class and AF outputs as soft targets beside the labels). For an honest CV score, "
                         "teachers must not have seen the fold's test records")
    ap.add_argument("--distill", type=float, default=d.distill, help="weight of the teachers' soft targets")
    ap.add_argument("--distill-heads", type=_heads, default=d.distill_heads,
                    help="comma-separated outputs that learn the teachers' soft targets: window, beat, af "
                         "(default all; 'window' leaves the per-beat heads, and so the alarms, to the labels)")
    ap.add_argument("--init", default=d.init,
                    help="weights file to fine-tune from (it must not have seen the fold's test records)")
    ap.add_argument("--anchor", default=d.anchor,
                    help="weights file whose per-beat class and p(AF) the model learns as soft targets: a "
                         "fine-tune that changes the window head while keeping a validated model's alarms")
    ap.add_argument("--anchor-weight", type=float, default=d.anchor_weight,
                    help="weight of the anchor's per-beat soft targets")
    ap.add_argument("--trainable", type=_paths, default=d.trainable,
                    help="comma-separated parameter-name prefixes that train, the rest frozen (e.g. 'head': "
                         "with --init, a window-head refit whose per-beat weights stay as they were); '' = all")
    ap.add_argument("--anchor-heads", type=_heads, default=d.anchor_heads,
                    help="comma-separated outputs that learn the anchor's soft targets (default beat,af; "
                         "'af' keeps only the AF alarms and lets --distill-heads window,beat move the beat classes)")
    return ap


def parse(argv=None):
    """(TrainConfig, the other options: name, runs_dir, overwrite)."""
    args = parser().parse_args(argv)
    names = {f.name for f in dataclasses.fields(TrainConfig)}
    values = {k: v for k, v in vars(args).items() if k in names}
    values["final"] = bool(values["final"])
    if values["limit_records"] < 0:
        raise SystemExit("--limit-records must be >= 0")
    bad = [k for k in values["folds"] if not 0 <= k < TrainConfig.cv_folds]
    if bad:
        raise SystemExit(f"--folds {bad}: folds are 0...{TrainConfig.cv_folds - 1}")
    if any(not 0 < f <= 1 for f in values["fractions"]):
        raise SystemExit("--fractions must be in (0, 1]")
    return TrainConfig(**values), argparse.Namespace(**{k: v for k, v in vars(args).items() if k not in names})


