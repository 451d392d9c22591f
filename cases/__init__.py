"""Cases: the child, the request for an EHC needs assessment, its statutory clock and exceptions."""
