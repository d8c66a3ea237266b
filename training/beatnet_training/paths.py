"""Where things are: the repository, ../shared/data, the token cache, the run folders, beatmon, and the
shipped files. One value (`Paths`) passed around; nothing here changes at run time."""
import os
from dataclasses import dataclass

SHIPPED_WEIGHTS = os.path.join("Sources", "BeatNet", "Resources", "beatnet.safetensors")
SHIPPED_GOLDEN = os.path.join("Fixtures", "beatnet-golden.safetensors")


def find_root(start=None):
    """The repository root: $BEATNET_ROOT, else the first folder at or above `start` (default: this
    package's folder, then the working directory) that holds Package.swift and training/."""
    if os.environ.get("BEATNET_ROOT"):
        return os.path.abspath(os.environ["BEATNET_ROOT"])
    starts = [start] if start else [os.path.dirname(os.path.abspath(__file__)), os.getcwd()]
    for s in starts:
        d = os.path.abspath(s)
        while True:
            if os.path.exists(os.path.join(d, "Package.swift")) and os.path.isdir(os.path.join(d, "training")):
                return d
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    raise SystemExit("cannot find the beatmon repository (Package.swift + training/); set BEATNET_ROOT")


@dataclass(frozen=True)
class Paths:
    root: str
    data: str
    cache: str
    runs: str
    beatmon: str

    @classmethod
    def default(cls, root=None, data=None, runs=None):
        root = os.path.abspath(root) if root else find_root()
        return cls(root=root,
                   data=os.path.abspath(data or os.environ.get("BEATNET_DATA")
                                        or os.path.join(root, "..", "shared", "data")),
                   cache=os.path.join(root, "training", "cache"),
                   runs=os.path.abspath(runs) if runs else os.path.join(root, "training", "runs"),
                   # env BEATMON: a prebuilt beatmon
                   beatmon=os.environ.get("BEATMON") or os.path.join(root, ".build-train", "release", "beatmon"))

    @property
    def shipped_weights(self):
        return os.path.join(self.root, SHIPPED_WEIGHTS)

    @property
    def shipped_golden(self):
        return os.path.join(self.root, SHIPPED_GOLDEN)
