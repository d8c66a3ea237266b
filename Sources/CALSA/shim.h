// alsa-lib for the ALSA frame source (Sources/Acquisition/ALSAFrameSource.swift).
// Installed by libasound2-dev (Debian/Ubuntu) or alsa-lib-devel (Fedora); found through pkg-config "alsa".
#ifndef BEATMON_CALSA_SHIM_H
#define BEATMON_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
