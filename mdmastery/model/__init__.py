"""Domain values; one note -> its facts; every note's facts -> the model."""
