import numpy as np

from beatnet_training.multilead import add_derived_leads


def batch(rng, B=3, T=10, L=2, W=96, real=(2, 1, 0)):
    """A collated batch: window b has real[b] recorded leads (0: morphology dropped)."""
    morph = np.zeros((B, T, L, W), np.float32)
    logamp = np.full((B, T, L), np.log(0.01), np.float32)
    lead = np.full((B, T, L), 12, np.int64)
    mask = np.zeros((B, T, L), bool)
    shape = np.sin(np.linspace(0, 3 * np.pi, W)).astype(np.float32)
    for b, n in enumerate(real):
        for k in range(n):
            morph[b, :, k] = shape * (1 if k == 0 else -0.5) / (1 if k == 0 else 0.5)
            logamp[b, :, k] = np.log(1.0 + k)
            lead[b, :, k] = (1, 6)[k]
            mask[b, :, k] = True
    return morph, logamp, lead, mask, np.ones((B, T), bool)


def test_derived_leads_widen_the_batch_and_keep_the_recorded_leads():
    rng = np.random.default_rng(0)
    m, a, l, k, v = batch(rng)
    om, oa, ol, ok = add_derived_leads(m, a, l, k, v, None, rng, slots=12)
    assert om.shape == (3, 10, 12, 96) and oa.shape == ol.shape == ok.shape == (3, 10, 12)
    assert np.abs(om).max() <= 1.0 + 1e-6
    for b, n in enumerate((2, 1)):
        assert ok[b].all()                                  # every slot present where the recording has a lead
        assert len(set(ol[b, 0].tolist())) == 12 and (ol[b] < 12).all()
        # each recorded lead is still there, unchanged, in some slot
        for r in range(n):
            assert any(np.array_equal(om[b, :, s], m[b, :, r]) and np.array_equal(oa[b, :, s], a[b, :, r])
                       for s in range(12))
    # the RR-only window stays without morphology
    assert not ok[2].any()


def test_fewer_slots_than_the_batch_has_change_nothing():
    rng = np.random.default_rng(1)
    m, a, l, k, v = batch(rng)
    out = add_derived_leads(m, a, l, k, v, None, rng, slots=2)
    assert all(x is y for x, y in zip(out, (m, a, l, k)))
