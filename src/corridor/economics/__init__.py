"""Investment appraisal (NPV, IRR, payback, rate sweeps) and the KZ–TR trade outlook."""
