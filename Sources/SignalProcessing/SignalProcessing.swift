// Filters, resampling, SNR and noise mixing, signal quality. Pure code: no I/O.
