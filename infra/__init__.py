"""AWS CDK v2 app that synthesises the whole ulakbel system (see README "Deploy to AWS")."""
