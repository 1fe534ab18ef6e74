"""Days and weekdays, moment.js formats, review periods and the clock."""
