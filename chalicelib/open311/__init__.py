"""Open311 GeoReport v2 (+ the mySociety service request updates extension): pure mapping, XML, validation."""
