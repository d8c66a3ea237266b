// The online Pan-Tompkins detector and multi-lead fusion. Pure code: no I/O.
